// landmarks_dlib.cpp - dlib's 68-point shape predictor on listed faces: the
// reference our src/vision/landmarks.c is compared with and timed against.
//
//   landmarks_dlib MODEL.dat LIST [REPEATS [THREADS]]
//   landmarks_dlib --detect LIST
//
// LIST has one face per line: "IMAGE LEFT TOP RIGHT BOTTOM" (integer dlib
// rectangle, corners inclusive).  Images are loaded as RGB by dlib, so the
// predictor samples dlib's own intensity, (r + g + b) / 3.  For each face it
// prints "IMAGE LEFT TOP RIGHT BOTTOM x0 y0 ... x67 y67" (dlib's integer points);
// then, when REPEATS > 0, it runs the predictor REPEATS more times over all
// faces on THREADS threads (default 1) and prints the median time per face in
// milliseconds as the last line, "ms_per_face X".
// With --detect it runs dlib's HOG face detector (the boxes the model was
// trained on) on each image instead and prints, per listed face, the detection
// that overlaps its box most: "IMAGE LEFT TOP RIGHT BOTTOM DL DT DR DB IOU"
// (IOU 0 and the listed box again when nothing overlaps).
// Build: bench/ref/build_landmarks_dlib.sh (needs libdlib-dev).
#include <dlib/image_io.h>
#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

struct face {
	std::string image;
	size_t img;  // index into the loaded images
	dlib::rectangle box;
};

int main(int argc, char **argv)
{
	if (argc < 3) {
		std::cerr << "usage: landmarks_dlib MODEL.dat LIST [REPEATS [THREADS]]\n"
		             "       landmarks_dlib --detect LIST\n";
		return 2;
	}
	bool detect = std::string(argv[1]) == "--detect";
	int repeats = argc > 3 ? std::stoi(argv[3]) : 0;
	int threads = argc > 4 ? std::stoi(argv[4]) : 1;
	dlib::shape_predictor sp;
	try {
		if (!detect)
			dlib::deserialize(argv[1]) >> sp;
	} catch (std::exception &e) {
		std::cerr << "landmarks_dlib: " << argv[1] << ": " << e.what() << "\n";
		return 1;
	}
	std::ifstream list(argv[2]);
	std::vector<face> faces;
	std::vector<std::string> names;
	std::vector<dlib::array2d<dlib::rgb_pixel>> images;
	std::string line;
	while (std::getline(list, line)) {
		std::istringstream in(line);
		face f;
		long l, t, r, b;
		if (!(in >> f.image >> l >> t >> r >> b))
			continue;
		f.box = dlib::rectangle(l, t, r, b);
		auto it = std::find(names.begin(), names.end(), f.image);
		if (it == names.end()) {
			names.push_back(f.image);
			images.emplace_back();
			dlib::load_image(images.back(), f.image);
			f.img = images.size() - 1;
		} else {
			f.img = (size_t)(it - names.begin());
		}
		faces.push_back(f);
	}
	if (detect) {
		dlib::frontal_face_detector detector = dlib::get_frontal_face_detector();
		std::vector<std::vector<dlib::rectangle>> found(images.size());
		for (size_t i = 0; i < images.size(); i++)
			found[i] = detector(images[i]);
		for (const face &f : faces) {
			dlib::rectangle best = f.box;
			double best_iou = 0;
			for (const dlib::rectangle &d : found[f.img]) {
				double inter = (double)d.intersect(f.box).area();
				double iou = inter / (double)(d.area() + f.box.area() - inter);
				if (iou > best_iou)
					best = d, best_iou = iou;
			}
			std::printf("%s %ld %ld %ld %ld %ld %ld %ld %ld %.3f\n", f.image.c_str(),
			            f.box.left(), f.box.top(), f.box.right(), f.box.bottom(), best.left(),
			            best.top(), best.right(), best.bottom(), best_iou);
		}
		return 0;
	}
	for (const face &f : faces) {
		dlib::full_object_detection d = sp(images[f.img], f.box);
		std::printf("%s %ld %ld %ld %ld", f.image.c_str(), f.box.left(), f.box.top(),
		            f.box.right(), f.box.bottom());
		for (unsigned long i = 0; i < d.num_parts(); i++)
			std::printf(" %ld %ld", d.part(i).x(), d.part(i).y());
		std::printf("\n");
	}
	if (repeats <= 0 || faces.empty())
		return 0;
	std::vector<double> times;
	for (int rep = 0; rep < repeats; rep++) {
		auto t0 = std::chrono::steady_clock::now();
		std::vector<std::thread> pool;
		for (int th = 0; th < threads; th++)
			pool.emplace_back([&, th] {
				for (size_t i = (size_t)th; i < faces.size(); i += (size_t)threads)
					sp(images[faces[i].img], faces[i].box);
			});
		for (auto &t : pool)
			t.join();
		std::chrono::duration<double, std::milli> dt = std::chrono::steady_clock::now() - t0;
		times.push_back(dt.count() / (double)faces.size());
	}
	std::sort(times.begin(), times.end());
	std::printf("ms_per_face %.4f\n", times[times.size() / 2]);
	return 0;
}
